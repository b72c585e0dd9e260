# The Java layer of the Kafka and ZooKeeper images: Debian's OpenJDK 17 runtime (Kafka 4.x
# brokers and controllers need Java 17) on the quorumcheck base image. Built once and shared by
# every Kafka and ZooKeeper version. The debootstrapped base has no /usr/share/man, where the
# JRE's post-install script links java's manual page: it fails without man1.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
LABEL quorumcheck.image=jvm
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man \
 && java -version
