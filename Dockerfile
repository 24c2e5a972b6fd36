# syntax=docker/dockerfile:1
#
# browser-use-viewer: the release dashboard served by the official nginx
# image, with /api/ proxied to the Browser Use Cloud API (deploy/nginx.conf,
# rendered at start by deploy/render.sh: the same template and script the
# deploy tier tests with Debian's nginx). See deploy/README.md.
#
#   docker build -t browser-use-viewer .
#   docker run --rm -p 8080:80 -e BROWSER_USE_API_KEY=bu_... browser-use-viewer
#
# NOTE: no container engine was available where this project is developed
# and tested, so this file has never been built. What it runs (the xtask
# build, deploy/nginx.conf, deploy/render.sh) is tested by `cargo xtask test
# deploy`; the image-specific lines (base images, the entrypoint hook) are not.

# --- build: `cargo xtask build`, which installs the pinned tools itself ------
FROM rust:1.95-bookworm AS build
# npm installs wasm-opt (binaryen) and esbuild into .tools/, as on a
# developer machine.
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
# The two slow installs (~15 min) in their own cached layer. The versions
# are the ones xtask pins (xtask/src/tools.rs TRUNK_VERSION; wasm-bindgen =
# Cargo.lock); `cargo xtask build` checks them and reinstalls on a mismatch.
ARG TRUNK_VERSION=0.21.14
ARG WASM_BINDGEN_VERSION=0.2.130
RUN rustup target add wasm32-unknown-unknown \
    && cargo install trunk --version "$TRUNK_VERSION" --locked \
    && cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
WORKDIR /src
COPY . .
RUN cargo xtask build

# --- serve: the official nginx image --------------------------------------
FROM nginx:1.28-bookworm
COPY --from=build /src/dist/ /usr/share/nginx/html/
COPY deploy/nginx.conf deploy/render.sh /etc/browser-use-viewer/
# The image's entrypoint runs /docker-entrypoint.d/*.sh before nginx starts
# (its own 20-envsubst-on-templates.sh works the same way). Ours renders the
# template from the environment into the default server, readable by root
# only (it holds the key); a bad value stops the container with a message.
RUN printf '%s\n' \
        '#!/bin/sh' \
        'set -eu' \
        'umask 077' \
        'sh /etc/browser-use-viewer/render.sh > /etc/nginx/conf.d/default.conf.new' \
        'mv /etc/nginx/conf.d/default.conf.new /etc/nginx/conf.d/default.conf' \
        'echo "browser-use-viewer: /api/ -> ${BUV_API_UPSTREAM:-https://api.browser-use.com}, key from the environment: $([ -n "${BROWSER_USE_API_KEY:-}" ] && echo yes || echo no)"' \
        > /docker-entrypoint.d/30-browser-use-viewer.sh \
    && chmod +x /docker-entrypoint.d/30-browser-use-viewer.sh
# Defaults live in render.sh; set any of these with `docker run -e`:
#   BROWSER_USE_API_KEY, BUV_API_UPSTREAM, BUV_LISTEN (80), BUV_ROOT,
#   BUV_CSP_CONNECT_SRC, BUV_CSP_IMG_SRC, BUV_CSP_FRAME_SRC
EXPOSE 80
