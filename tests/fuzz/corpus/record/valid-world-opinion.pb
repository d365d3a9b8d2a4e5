

op:fzp:govА█кс(0К
clm:vendor-two