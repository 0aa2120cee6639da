/*
 * rt_btf.h - the types of rt_btf.bpf.c, shared with test_btf.c, which
 * builds values of them and checks how libpybpf describes and formats them.
 */
#ifndef RT_BTF_H
#define RT_BTF_H

enum rt_color { RT_RED = 0, RT_GREEN = 1, RT_BLUE = 7 };

typedef unsigned int rt_u32;

struct rt_flags {
	unsigned int low : 3;
	int mid : 5;
	unsigned int high : 24;
};

union rt_num {
	unsigned int u;
	int i;
};

struct rt_value {
	rt_u32 count;		 /* typedef, followed */
	const signed char delta; /* const, followed; a number, not text */
	_Bool seen;
	enum rt_color color;
	char name[8];		/* text */
	unsigned char bytes[3]; /* numbers */
	struct rt_flags flags;
	union rt_num num;
	long long big;
	void *ptr;
};

#endif
