# Kafka in ZooKeeper mode: a Kafka image (3.9, the last line with ZooKeeper mode) plus a
# ZooKeeper server's class path (fetched with zookeeper/pom.xml into the context as lib/), so one
# node runs an ensemble member beside its broker.
ARG KAFKA_IMAGE
FROM ${KAFKA_IMAGE}
LABEL quorumcheck.image=kafka-zookeeper
RUN mkdir -p /var/lib/zookeeper
COPY lib/ /opt/zookeeper/libs/
