# The dependency layer of the quorumd image: the base (Node 20, iptables, iproute2, libfaketime)
# plus the project's production node_modules. Built only when the locked production packages or
# the base change, so a code change never re-sends node_modules to the engine.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
LABEL quorumcheck.image=quorumd-deps
RUN mkdir -p /etc/quorumd /var/lib/quorumd /var/log/quorumd /opt/quorumd
WORKDIR /opt/quorumd
ENTRYPOINT ["/usr/local/bin/quorumcheck-node-entry"]
COPY node_modules/ /opt/quorumd/node_modules/
