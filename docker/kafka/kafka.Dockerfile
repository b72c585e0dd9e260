# A Kafka server: its class path from Maven Central (fetched by quorumcheck with kafka/pom.xml
# into the build context as lib/) on the Java layer, with the node entry script every system's
# image keeps. kafka.Kafka runs the server; kafka.tools.StorageTool formats a node.
ARG JVM_IMAGE
FROM ${JVM_IMAGE}
LABEL quorumcheck.image=kafka
RUN mkdir -p /etc/quorumd /var/lib/kafka /var/log/quorumd
COPY quorumcheck-node-entry /usr/local/bin/
COPY lib/ /opt/kafka/libs/
ENTRYPOINT ["/usr/local/bin/quorumcheck-node-entry"]
