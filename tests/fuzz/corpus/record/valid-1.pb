
K
op:sony-rogers-disputep:rogers¿’Í§(0:sample:date-approximateBenä¢
clm:sony-fbi*◊The public indicators rest on malware and IP addresses that anyone could buy or hijack; the conduct (bulk data dumps, a revenge motive, Korean-language traces) looks more like an insider than the North Korean state.2act:sony-insider-hypothesisZÃ
2Rivernet Computers (reporting Inquisitr/The Verge)JExpert hacker believes Sony hack was an inside job (Marc Rogers) (2014-12)Jhttps://rivernetcomputers.com/expert-hacker-believes-sony-hack-inside-job/Z«
PJ Media (summarising Politico)XThe Sony hack: curiouser and curiouser (Schneier, Rogers, Graham critiques) (2014-12-30)Jhttp://pjmedia.com/tatler/2014/12/30/the-sony-hack-curiouser-and-curiouser