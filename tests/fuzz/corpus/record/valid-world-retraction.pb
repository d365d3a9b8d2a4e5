

ret:fzp:govА█кс(0Т
clm:gov-one