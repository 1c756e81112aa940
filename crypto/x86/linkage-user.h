/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-ins for the kernel's <linux/linkage.h> assembler macros,
 * so the same .S files assemble into libwgcrypto.a and the test programs.
 */
#ifndef WG_X86_LINKAGE_USER_H
#define WG_X86_LINKAGE_USER_H

#define SYM_FUNC_START(name)	\
	.text;			\
	.globl name;		\
	.type name, @function;	\
	.p2align 5;		\
	name:

#define SYM_FUNC_END(name)	\
	.size name, . - name

#define RET	ret

	.section .note.GNU-stack, "", @progbits
	.text

#endif
