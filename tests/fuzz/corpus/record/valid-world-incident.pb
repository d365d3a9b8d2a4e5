

inc:fzp:govА█кс(0r
inc:fzFuzz0