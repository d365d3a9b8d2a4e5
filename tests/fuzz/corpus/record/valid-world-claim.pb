

clm:fzp:govА█кс(0В5
p:govinc:two"	act:group(B	act:stater<Тev:one