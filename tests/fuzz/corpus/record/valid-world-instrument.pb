

ins:fzp:cur€Ûªá(0²
ins:fzFuzz Accord