# SPDX-License-Identifier: GPL-2.0
#
# The crypto objects, relative to crypto/: the one list that both the
# module (Kbuild) and the userspace library (crypto/Makefile) build from.

# portable code, in every build
wg_crypto_objs := cpu.o chacha20.o poly1305.o chacha20poly1305.o \
	blake2s.o curve25519.o curve25519-base.o

# known-answer self-tests: debug modules (WG_DEBUG=y) and userspace
wg_crypto_selftest_objs := selftest.o

# x86-64 SIMD and BMI2/ADX assembly, chosen at run time (cpu.c)
wg_crypto_x86_objs := x86/chacha20-x86_64.o x86/poly1305-x86_64.o \
	x86/poly1305-avx2.o x86/blake2s-x86_64.o x86/curve25519-x86_64.o
