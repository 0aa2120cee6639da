from cyc_a import A
B = 2
