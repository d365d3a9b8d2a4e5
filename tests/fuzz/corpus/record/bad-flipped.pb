
N
a#t:dprkp:iab-registry€Ø’–(0:"sample:fictional-curator-signatureBenjD
act:dprk%Democratic People's Republic of KoreaNorth Korea(2KP