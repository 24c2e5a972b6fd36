#!/bin/sh
# Renders deploy/nginx.conf (the template next to this script) to stdout:
# fills in the defaults, refuses values that would break the config or leak
# into it, and runs envsubst on exactly the variables the template uses, so
# that nginx's own `$uri`, `$http_...` stay as they are.
#
#   BROWSER_USE_API_KEY=bu_... sh deploy/render.sh > /etc/nginx/conf.d/browser-use-viewer.conf
#
# The tests (deploy-tests/) and the Dockerfile (at container start) run this
# same script. Needs envsubst (Debian: gettext-base; in the official image).
set -eu

here=$(dirname "$0")
template="${BUV_TEMPLATE:-$here/nginx.conf}"

: "${BUV_LISTEN:=80}"
: "${BUV_ROOT:=/usr/share/nginx/html}"
: "${BUV_API_UPSTREAM:=https://api.browser-use.com}"
: "${BROWSER_USE_API_KEY=}"
# Without the colon: set but empty means "no extra sources" (only 'self').
: "${BUV_CSP_CONNECT_SRC=https://api.browser-use.com}"
: "${BUV_CSP_IMG_SRC=https: data:}"
: "${BUV_CSP_FRAME_SRC=https:}"
export BUV_LISTEN BUV_ROOT BUV_API_UPSTREAM BROWSER_USE_API_KEY \
    BUV_CSP_CONNECT_SRC BUV_CSP_IMG_SRC BUV_CSP_FRAME_SRC

fail() {
    echo "render.sh: $*" >&2
    exit 1
}

# The key lands inside a quoted nginx string: only characters that cannot
# end the string, start a variable or a comment. (Never echo the key.)
case "$BROWSER_USE_API_KEY" in
    *[!A-Za-z0-9_.-]*) fail "BROWSER_USE_API_KEY has characters other than A-Z a-z 0-9 _ . -" ;;
esac
case "$BUV_API_UPSTREAM" in
    http://*[!/] | https://*[!/]) ;;
    *) fail "BUV_API_UPSTREAM must be an http(s) origin without a trailing slash, e.g. https://api.browser-use.com" ;;
esac
case "$BUV_API_UPSTREAM" in
    *[\;\"\'\ \$]*) fail "BUV_API_UPSTREAM has a character nginx would misread" ;;
esac
for v in "$BUV_LISTEN" "$BUV_ROOT"; do
    case "$v" in
        "" | *[\;\"\'\ \$\{\}]*) fail "BUV_LISTEN and BUV_ROOT must be non-empty, without ; \" ' \$ { } or spaces" ;;
    esac
done
for v in "$BUV_CSP_CONNECT_SRC" "$BUV_CSP_IMG_SRC" "$BUV_CSP_FRAME_SRC"; do
    case "$v" in
        *[\;\"\$\{\}]*) fail "BUV_CSP_* values are space-separated CSP sources, without ; \" \$ { }" ;;
    esac
done
[ -n "$BUV_CSP_FRAME_SRC" ] || fail "BUV_CSP_FRAME_SRC must not be empty (the live view is an iframe)"
[ -r "$template" ] || fail "no template at $template"

exec envsubst '${BUV_LISTEN} ${BUV_ROOT} ${BUV_API_UPSTREAM} ${BROWSER_USE_API_KEY} ${BUV_CSP_CONNECT_SRC} ${BUV_CSP_IMG_SRC} ${BUV_CSP_FRAME_SRC}' < "$template"
