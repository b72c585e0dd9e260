# etcd from the project's official image (gcr.io/etcd-development/etcd:vX.Y.Z), where a registry
# answers: its binaries on the quorumcheck base image, so the nemesis finds the same tools
# (iptables, iproute2, libfaketime) as in every other node.
ARG BASE_IMAGE
ARG ETCD_IMAGE
FROM ${ETCD_IMAGE} AS etcd
FROM ${BASE_IMAGE}
LABEL quorumcheck.image=etcd
COPY --from=etcd /usr/local/bin/etcd /usr/local/bin/etcdctl /usr/local/bin/
RUN mkdir -p /etc/quorumd /var/lib/etcd /var/log/quorumd
COPY quorumcheck-node-entry /usr/local/bin/
ENTRYPOINT ["/usr/local/bin/quorumcheck-node-entry"]
