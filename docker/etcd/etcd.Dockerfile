# etcd from Debian's archive (bookworm: etcd-server 3.4.23) on the quorumcheck base image (Debian
# bookworm with iptables, iproute2, libfaketime). The base is debootstrapped where no registry
# answers; apt-get inside the build reaches Debian's archive, as the host does.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
LABEL quorumcheck.image=etcd
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends etcd-server etcd-client \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man \
 && mkdir -p /etc/quorumd /var/lib/etcd /var/log/quorumd
COPY quorumcheck-node-entry /usr/local/bin/
ENTRYPOINT ["/usr/local/bin/quorumcheck-node-entry"]
