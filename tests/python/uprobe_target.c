/*
 * uprobe_target.c - the process the uprobe tests trace: waits for a line on
 * stdin, then calls pybpf_target_add() argv[1] times and prints the sum.
 */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) int pybpf_target_add(int a, int b);

__attribute__((noinline)) int pybpf_target_add(int a, int b)
{
	__asm__ volatile("" ::: "memory");
	return a + b;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1, sum = 0, i;
	char line[16];

	printf("ready\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	for (i = 0; i < n; i++)
		sum = pybpf_target_add(sum, 1);
	printf("%d\n", sum);
	return 0;
}
