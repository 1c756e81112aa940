# SPDX-License-Identifier: GPL-2.0
#
# Top-level targets.  The module itself is described in Kbuild.
#
#   make                 wireguard.ko (against KDIR), tools/wg/wg and tools/wg-mesh/wg-mesh
#   make KDIR=<dir>      build the module against other kernel headers
#   make W=1 / C=2       passed through to Kbuild (warnings, sparse)
#   make deps            install the Debian packages in debian-packages.txt
#   make check           every test, through prove (see selftests/)
#   make check-host      the netns suites on this host's kernel (kselftest)
#   make bench-NAME      selftests/bench/NAME.sh
#   make fuzz-kernel SECONDS=N   the netlink and packet fuzzers, N s each, and
#   make soak MINUTES=N          the soak, on the debug kernel (not in check)
#   make deps demo       the edgeProxy overlay in a VM (selftests/demo/)
#   make install         module into /lib/modules/<ver>/updates, tools, docs
#   make exporter        tools/wg-exporter (needs libmicrohttpd; not in `tools',
#                        so `make' builds without it; make deb packages it)
#   make deb             build/deb/wireguard-oot-{dkms,tools}_<ver>_*.deb, lintian

KVER ?= $(shell uname -r)
KDIR_61 := $(lastword $(sort $(wildcard /usr/src/linux-headers-6.1.*-amd64)))
KDIR_612 := $(lastword $(sort $(wildcard /usr/src/linux-headers-6.12.*-amd64)))
ifneq ($(wildcard /lib/modules/$(KVER)/build/Makefile),)
KDIR ?= /lib/modules/$(KVER)/build
else
KDIR ?= $(KDIR_61)
endif

DESTDIR ?=
PREFIX ?= /usr
SYSCONFDIR ?= /etc
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
# The kernel release the module is installed for: taken from the headers.
MODULE_KVER ?= $(shell $(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null)

PROVE ?= prove
PROVE_FLAGS ?= -v --timer

.PHONY: exporter install-exporter install-reresolve
.PHONY: all module tools clean deps check check-host install install-module install-tools \
	install-dkms-src deb demo help fuzz-kernel soak check-prep FORCE

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools/wg
	$(MAKE) -C tools/wg-mesh

exporter:
	$(MAKE) -C tools/wg-exporter

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C tools/wg-exporter clean
	-$(MAKE) -C tools/wg clean
	-$(MAKE) -C tools/wg-mesh clean
	-$(MAKE) -C crypto clean
	rm -rf build

# The packages of DEPS_LIST that are not installed, one shell command.
DEPS_LIST ?= debian-packages.txt
DEPS_PKGS = pkgs=$$(sed -e 's/\#.*//' $(DEPS_LIST) | tr -s ' \n' ' '); \
	missing=$$(for p in $$pkgs; do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q '^install ok installed$$' || echo $$p; done)

deps:
	@$(DEPS_PKGS); \
	if [ -z "$$missing" ]; then echo "deps: all $$(echo $$pkgs | wc -w) packages installed"; \
	else echo "deps: installing$$(echo $$missing | sed 's/^/ /')"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; fi

# make check runs two chains of files side by side, each file after the
# other in name order, so that the time a VM under TCG leaves a core idle
# is used.  The first chain is the debug kernel's file (19: a cold build of
# that kernel at nice 10, then one boot) and the VM tests 24-28, 31, 32 and
# 34; the second, everything else: the host's own tests (01-14, 18; the
# kernel build overlaps them) and the other VM tests.  22 and 12 both build
# the Debian packages, so they stay in one chain.  Each chain holds about
# half of the work; at most two VMs run at once.  CHECK_JOBS=1 runs
# everything in one chain.  The programs that several files build are
# built once first (check-prep), so that no two files build the same
# objects at once; a failure there is left to the files, which report it.
CHECK_JOBS ?= 2
CHECK_VM_CHAIN = 19-vm-debug-kernel,24-*,25-*,26-*,27-*,28-*,31-*,32-*,34-*
CHECK_RULES = --rules='seq=selftests/{$(CHECK_VM_CHAIN)}.t' --rules='seq=**'

check:
	-@$(MAKE) -s check-prep
	$(PROVE) $(PROVE_FLAGS) -j$(CHECK_JOBS) $(CHECK_RULES) selftests/*.t

check-prep:
	-$(MAKE) tools
	-$(MAKE) exporter
	-$(MAKE) -C selftests/netlink
	-$(MAKE) build/tools/wg-hsblast

# The handshake sender of the flood and bench suites.
build/tools/wg-hsblast: selftests/vm/tools/wg-hsblast.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -o $@.tmp $< && mv -f $@.tmp $@

# The netns suites on this machine's running kernel, the kselftest way
# (selftests/kselftest/), for a real host that loads modules (a POP host, a
# CI runner with KVM): no qemu.  As root, after installing this project's
# module for the running kernel (make install, or the DKMS package).
check-host:
	@p=$$(modinfo -n wireguard 2>/dev/null); case "$$p" in */updates/*|*/extra/*) ;; \
	*) echo "check-host: modprobe wireguard would load $${p:-no module}, not this project's:" \
		"install it first (make install, or the wireguard-oot-dkms package)" >&2; exit 1 ;; esac
	$(MAKE) -s -C selftests/kselftest run_tests

# The debug kernel's long runs (selftests/19-vm-debug-kernel.t).
fuzz-kernel:
	WG_DEBUG_ONLY=fuzz WG_KFUZZ_SECONDS=$(or $(SECONDS),600) $(PROVE) $(PROVE_FLAGS) \
		selftests/19-vm-debug-kernel.t

soak:
	WG_DEBUG_ONLY=soak WG_SOAK_MINUTES=$(or $(MINUTES),60) $(PROVE) $(PROVE_FLAGS) \
		selftests/19-vm-debug-kernel.t

bench-%: FORCE
	bash selftests/bench/$*.sh

# Alone on a fresh machine, say what to run instead of failing half-way.
demo:
	@$(DEPS_PKGS); \
	if [ -n "$$missing" ]; then \
		echo "demo: Debian packages it needs are missing:$$(echo $$missing | sed 's/^/ /')" >&2; \
		echo "demo: run 'make deps demo' (as root) to install them and run the demo" >&2; \
		exit 1; fi
	bash selftests/demo/demo.sh

install: install-module install-tools install-exporter install-reresolve

install-reresolve:
	install -D -m 0755 tools/wg-reresolve/wg-reresolve $(DESTDIR)$(BINDIR)/wg-reresolve
	install -D -m 0644 tools/wg-reresolve/wg-reresolve@.service $(DESTDIR)$(SYSTEMDUNITDIR)/wg-reresolve@.service
	install -D -m 0644 tools/wg-reresolve/wg-reresolve@.timer $(DESTDIR)$(SYSTEMDUNITDIR)/wg-reresolve@.timer
	install -D -m 0644 Documentation/wg-reresolve.8 $(DESTDIR)$(MANDIR)/man8/wg-reresolve.8

install-exporter: exporter
	install -D -m 0755 tools/wg-exporter/wg-exporter $(DESTDIR)$(BINDIR)/wg-exporter
	install -D -m 0644 tools/wg-exporter/wg-exporter.service $(DESTDIR)$(SYSTEMDUNITDIR)/wg-exporter.service
	install -D -m 0644 Documentation/wg-exporter.8 $(DESTDIR)$(MANDIR)/man8/wg-exporter.8

# Kbuild's own modules_install puts the module in /lib/modules/<release>/
# updates (INSTALL_MOD_DIR), ahead of the in-tree one, and signs and
# compresses it as the kernel's configuration says (CONFIG_MODULE_SIG_ALL
# with the tree's key, CONFIG_MODULE_COMPRESS_*).  Its depmod needs the
# kernel's System.map, which headers packages lack, so depmod runs here.
# MODULE_KO=<path> installs an already built module instead of building:
# it is staged in build/install-module/ with the modules.order Kbuild
# expects (.ko entries before Linux 6.2, .o entries since).
MODULE_KO ?=
MODINST_DIR := $(if $(MODULE_KO),$(CURDIR)/build/install-module,$(CURDIR))
install-module: $(if $(MODULE_KO),,module)
ifneq ($(MODULE_KO),)
	rm -rf $(MODINST_DIR)
	mkdir -p $(MODINST_DIR)
	cp $(MODULE_KO) $(MODINST_DIR)/wireguard.ko
	touch $(MODINST_DIR)/Kbuild
	case "$(MODULE_KVER)" in [0-5].*|6.[01].*) e=ko ;; *) e=o ;; esac; \
		echo "$(MODINST_DIR)/wireguard.$$e" > $(MODINST_DIR)/modules.order
endif
	$(MAKE) -C $(KDIR) M=$(MODINST_DIR) INSTALL_MOD_DIR=updates \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	if [ -z "$(DESTDIR)" ]; then depmod -a $(MODULE_KVER); \
	else depmod -b $(DESTDIR) -a $(MODULE_KVER); fi

install-tools: tools
	install -D -m 0755 tools/wg/wg $(DESTDIR)$(BINDIR)/wg
	install -D -m 0755 tools/wg-mesh/wg-mesh $(DESTDIR)$(BINDIR)/wg-mesh
	install -D -m 0755 tools/wg-quick/wg-quick $(DESTDIR)$(BINDIR)/wg-quick
	install -D -m 0644 tools/wg-quick/wg-quick@.service $(DESTDIR)$(SYSTEMDUNITDIR)/wg-quick@.service
	install -D -m 0644 Documentation/wg.8 $(DESTDIR)$(MANDIR)/man8/wg.8
	install -D -m 0644 Documentation/wg-mesh.8 $(DESTDIR)$(MANDIR)/man8/wg-mesh.8
	install -D -m 0644 Documentation/wg-quick.8 $(DESTDIR)$(MANDIR)/man8/wg-quick.8
	install -D -m 0644 tools/wg/completion/wg.bash-completion $(DESTDIR)$(BASHCOMPDIR)/wg
	install -D -m 0644 tools/wg-mesh/completion/wg-mesh.bash-completion $(DESTDIR)$(BASHCOMPDIR)/wg-mesh
	install -D -m 0644 tools/wg-quick/completion/wg-quick.bash-completion $(DESTDIR)$(BASHCOMPDIR)/wg-quick
	install -d -m 0700 $(DESTDIR)$(SYSCONFDIR)/wireguard

# The module's sources as DKMS wants them, in /usr/src/<name>-<version>:
# what Kbuild compiles (dkms.conf runs Kbuild with M= on that directory).
# dh_dkms (make deb) installs dkms.conf there itself.
VERSION := $(shell cat VERSION)
DKMS_SRCDIR ?= /usr/src/wireguard-oot-$(VERSION)
install-dkms-src:
	install -D -m 0644 -t $(DESTDIR)$(DKMS_SRCDIR) Kbuild
	find crypto drivers/net/wireguard include -type f \
		\( -name '*.[ch]' -o -name '*.S' -o -name objs.mk \) \
		! -name '*.mod.c' | LC_ALL=C sort | \
	while read -r f; do install -D -m 0644 "$$f" "$(DESTDIR)$(DKMS_SRCDIR)/$$f" || exit 1; done

# Debian packages, built with debhelper (debian/) from a copy of the tree's
# files (tracked and not ignored) under build/deb/, then checked by lintian:
# a warning or error fails the build (debian/*.lintian-overrides say why a
# tag is accepted).
DEB_DIR := build/deb
deb:
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/wireguard-oot-$(VERSION)
	git ls-files -z -co --exclude-standard | \
		tar -c --null -T - | tar -x -C $(DEB_DIR)/wireguard-oot-$(VERSION)
	cd $(DEB_DIR)/wireguard-oot-$(VERSION) && dpkg-buildpackage -b --no-sign
	lintian --fail-on error,warning --info --display-info --pedantic \
		$(DEB_DIR)/wireguard-oot_$(VERSION)_amd64.changes
	@ls -l $(DEB_DIR)/*.deb

FORCE:
