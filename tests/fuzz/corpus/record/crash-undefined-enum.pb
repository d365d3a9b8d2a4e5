
(
clm:sony-fbip:us-fbiò¡—§(0BenÇŒ
p:us-fbi

ò¡—§inc:sony-2014"act:dprk(08j¢FBI statement of 19€ªecember 2014: the Bureau says it has 'enough information to conclude' that the North Korean government is behind the attack on Sony Pictures.rîZ"enough information to conclude*lCurator mapping: unqualified definitive statement, which the conversion table (domain-model 3.1) sets at 90.xàíev:sony-fbi-indicators∫ç
'Digital Journal (text of FBI statement).FBI: North Korea behind Sony hack (2014-12-19)2http://www.digitaljournal.com/print/article/421456∫™
Nextgov=U.S. officially blames North Korea for Sony hack (2014-12-19)`https://www.nextgov.com/cybersecurity/2014/12/us-officially-blames-north-korea-sony-hack/101701/