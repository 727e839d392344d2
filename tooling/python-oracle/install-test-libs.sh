#!/usr/bin/env bash
# Installs the Python libraries the tests read pickles from (pandas, scikit-learn, scipy, torch)
# when the system python3 lacks them. They come from Debian's packages, for Debian's system
# python3 (/usr/bin/python3); there is no pip index here. Runs before `pnpm test`; a no-op when
# the libraries are present. Without root or apt-get it says what is missing, and the tests that
# need the libraries then fail loudly.
set -u
LIBS="numpy pandas sklearn scipy torch"
check() { /usr/bin/python3 -c "import $(echo $LIBS | tr ' ' ',')" >/dev/null 2>&1; }
if check; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing python3-pandas python3-sklearn python3-scipy python3-torch (Debian) for the tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends \
    python3-numpy python3-pandas python3-sklearn python3-scipy python3-torch >/dev/null
  check && exit 0
fi
echo "warning: /usr/bin/python3 cannot import $LIBS; the tests that need them will fail" >&2
exit 0
