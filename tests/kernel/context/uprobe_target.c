/* The function test_context.py's uprobes attach to: six integer arguments
 * in registers (x86-64: rdi, rsi, rdx, rcx, r8, r9), a result in rax. */
__attribute__((noinline)) long pybpf_probe_target(long a, long b, long c, long d, long e, long f)
{
	__asm__ volatile("" ::: "memory");
	return a + b + c + d + e + f;
}

int main(void)
{
	volatile long r = pybpf_probe_target(11, 22, 33, 44, 55, 66);
	return r == 231 ? 0 : 1;
}
