

act:fzp:vendorА█кс(0j 
act:fz
Fuzz Group(:act:unit