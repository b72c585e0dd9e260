# Kafka in ZooKeeper mode with ZooKeeper from its official image (zookeeper:VERSION), where a
# registry answers: the server's lib/ beside Kafka's.
ARG ZOOKEEPER_IMAGE
ARG ZOOKEEPER_HOME
ARG KAFKA_IMAGE
FROM ${ZOOKEEPER_IMAGE} AS zookeeper
FROM ${KAFKA_IMAGE}
ARG ZOOKEEPER_HOME
LABEL quorumcheck.image=kafka-zookeeper
RUN mkdir -p /var/lib/zookeeper
COPY --from=zookeeper ${ZOOKEEPER_HOME}/lib/ /opt/zookeeper/libs/
