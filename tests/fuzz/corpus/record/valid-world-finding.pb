

fnd:fzp:body€Ûªá(0š5
IAB-2Two"inc:two(2
	act:group’p:panelš