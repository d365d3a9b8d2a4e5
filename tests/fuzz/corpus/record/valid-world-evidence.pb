

ev:fzp:vendorА█кс(0z
inc:twoOverlap