# The quorumd base image where a registry can be pulled (users' machines): Node 20 on Debian
# bookworm plus the tools the nemesis runs inside containers. Where nothing can be pulled (our
# machines), src/harness/docker/base-image.ts builds the same layout from debootstrap instead.
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends iptables iproute2 ca-certificates libfaketime faketime procps \
 && rm -rf /var/lib/apt/lists/*
