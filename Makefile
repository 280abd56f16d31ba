# l2stretch — every target runs as root on Debian/Ubuntu (namespaces, FRR).
N ?= 20

.PHONY: deps build conformance test self bench soak clean typecheck report certify verify-bundle catalogue kind-up kind-down kind-plan

# FRR (zebra, bgpd, vtysh), iproute2, the workloads' curl, ping and arping, sshd for the SSH transport's tests,
# chromium for the HTML report's test (about 30 s to install), and the npm packages of package-lock.json.
deps:
	@command -v apt-get >/dev/null || { echo "make deps needs apt-get (Debian/Ubuntu); install FRR and iproute2 yourself, then run npm ci"; exit 1; }
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends frr iproute2 procps curl iputils-ping iputils-arping openssh-server chromium >/dev/null
	npm ci --no-audit --no-fund

# The compiled JavaScript the l2stretch command runs (npm ci builds it too).
build:
	npm run build

# The conformance suites against a fresh embedded testbed, with a verdict; CHECKS=ID,ID… and SKIP=ID,… select.
conformance:
	node bin/l2stretch.js run $(if $(CHECKS),--check $(CHECKS)) $(if $(SKIP),--skip $(SKIP))

# The HTML report of the latest run, one file (reports/latest/allure-report/index.html), with the history of earlier runs.
report:
	node bin/l2stretch.js report

# A vendor certification: every conformance-tier check, none skipped, and a bundle (make certify PRODUCT=product.yaml).
certify:
	@test -n "$(PRODUCT)" || { echo "usage: make certify PRODUCT=product.yaml [TESTBED_FILE=…]"; exit 2; }
	node bin/l2stretch.js certify --product $(PRODUCT) $(if $(TESTBED_FILE),--testbed-file $(TESTBED_FILE))

# Checks a certification bundle (make verify-bundle BUNDLE=reports/certification-…).
verify-bundle:
	node bin/l2stretch.js verify-bundle $(BUNDLE)

# Regenerates conformance.yaml after suites/catalogue.ts changed.
catalogue:
	npm run catalogue

# The project's own tests, the conformance suites, then the fault catalogue.
test:
	npm test
	npm run test:faults

self:
	npm run test:self

typecheck:
	npm run typecheck

bench:
	npm run bench

# The embedded conformance run N times in a row (default 20), failures per check.
soak:
	npm run soak -- --runs $(N)

# The containerlab + KinD testbed (needs Docker, kind, containerlab, kubectl; see README).
kind-up:
	node bin/l2stretch.js testbed up --testbed kind

kind-down:
	node bin/l2stretch.js testbed down --testbed kind

# What kind-up would run, without running it.
kind-plan:
	node bin/l2stretch.js testbed up --testbed kind --dry-run

# Removes kept testbeds and the leftovers of crashed runs (never those of a run in progress).
clean:
	node bin/l2stretch.js testbed down
