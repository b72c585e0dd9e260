# A Kafka server from the project's official image (apache/kafka:VERSION), where a registry
# answers: its /opt/kafka/libs on the Java layer, so the node has the nemesis's tools too.
ARG KAFKA_IMAGE
ARG JVM_IMAGE
FROM ${KAFKA_IMAGE} AS kafka
FROM ${JVM_IMAGE}
LABEL quorumcheck.image=kafka
RUN mkdir -p /etc/quorumd /var/lib/kafka /var/log/quorumd
COPY quorumcheck-node-entry /usr/local/bin/
COPY --from=kafka /opt/kafka/libs/ /opt/kafka/libs/
ENTRYPOINT ["/usr/local/bin/quorumcheck-node-entry"]
