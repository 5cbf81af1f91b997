# elemental in a container: `docker build -t elemental .` then
# `docker run --rm -p 8080:8080 elemental` serves the example element and the demo vendor.
# Mount your own elements and instances over /srv/elements and /srv/instances.yaml.

# The slim Rust image already has gcc and libc6-dev, which the bundled C code needs
# (SQLite, QuickJS, mimalloc, ring).
FROM rust:1.95-slim-bookworm AS build
WORKDIR /build
COPY . .
RUN cargo build --release --locked --bin elemental

# Same Debian release as the builder, so the binary finds the glibc it was linked against.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --user-group --home-dir /srv --no-create-home elemental
COPY --from=build /build/target/release/elemental /usr/local/bin/elemental
WORKDIR /srv
COPY elements/ ./elements/
COPY instances.yaml ./
COPY tasks/ ./tasks/
COPY cloud/ ./cloud/
# Created and owned before VOLUME so that a new named volume inherits the owner and the
# non-root server can write its SQLite store there.
RUN mkdir -p /srv/data && chown elemental:elemental /srv/data
ENV ELEMENTAL_DATA=/srv/data
VOLUME ["/srv/data"]
USER elemental
EXPOSE 8080
ENTRYPOINT ["elemental"]
CMD ["serve", "--listen", "0.0.0.0:8080", "--demo-vendor"]
