
K
op:sony-rogers-disputep:rogers¿’Í§(0:sample:date-approximateBenä¢
clm:sony-fbi*