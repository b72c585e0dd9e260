# The thin project layer of the quorumd image, on the dependency layer (quorumd-deps.Dockerfile):
# the scripts, package.json and dist/. Its build context holds only these, so rebuilding after a
# code change sends a few hundred kilobytes and runs three COPY steps.
ARG DEPS_IMAGE
FROM ${DEPS_IMAGE}
LABEL quorumcheck.image=quorumd
COPY bin/ /usr/local/bin/
COPY package.json /opt/quorumd/package.json
COPY dist/ /opt/quorumd/dist/
