/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * int busy_check_registers(void)
 *
 * Spin until busy_stop becomes non-zero, with a known value in every
 * general-purpose register but rsp and rbp, and compare each of them with
 * its value on every turn.  Returns 0 if none ever changed, 1 otherwise: a
 * remote call that did not put every register back is caught here.
 */
	.text
	.globl	busy_check_registers
	.type	busy_check_registers, @function
busy_check_registers:
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	movabs	$0x1111111111111101, %rax
	movabs	$0x2222222222222202, %rbx
	movabs	$0x3333333333333303, %rcx
	movabs	$0x4444444444444404, %rdx
	movabs	$0x5555555555555505, %rsi
	movabs	$0x6666666666666606, %rdi
	movabs	$0x7777777777777708, %r8
	movabs	$0x7777777777777709, %r9
	movabs	$0x777777777777770a, %r10
	movabs	$0x777777777777770b, %r11
	movabs	$0x777777777777770c, %r12
	movabs	$0x777777777777770d, %r13
	movabs	$0x777777777777770e, %r14
	movabs	$0x777777777777770f, %r15
1:
	cmp	expected+0(%rip), %rax
	jne	2f
	cmp	expected+8(%rip), %rbx
	jne	2f
	cmp	expected+16(%rip), %rcx
	jne	2f
	cmp	expected+24(%rip), %rdx
	jne	2f
	cmp	expected+32(%rip), %rsi
	jne	2f
	cmp	expected+40(%rip), %rdi
	jne	2f
	cmp	expected+48(%rip), %r8
	jne	2f
	cmp	expected+56(%rip), %r9
	jne	2f
	cmp	expected+64(%rip), %r10
	jne	2f
	cmp	expected+72(%rip), %r11
	jne	2f
	cmp	expected+80(%rip), %r12
	jne	2f
	cmp	expected+88(%rip), %r13
	jne	2f
	cmp	expected+96(%rip), %r14
	jne	2f
	cmp	expected+104(%rip), %r15
	jne	2f
	cmpl	$0, busy_stop(%rip)
	je	1b
	xor	%eax, %eax
	jmp	3f
2:
	mov	$1, %eax
3:
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	ret
	.size	busy_check_registers, .-busy_check_registers

	.section .rodata
	.balign	8
expected:
	.quad	0x1111111111111101, 0x2222222222222202, 0x3333333333333303
	.quad	0x4444444444444404, 0x5555555555555505, 0x6666666666666606
	.quad	0x7777777777777708, 0x7777777777777709, 0x777777777777770a
	.quad	0x777777777777770b, 0x777777777777770c, 0x777777777777770d
	.quad	0x777777777777770e, 0x777777777777770f

	.section .note.GNU-stack, "", @progbits
