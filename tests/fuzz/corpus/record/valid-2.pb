
S
inc:sony-2014p:iab-registry¿¶–§(0:"sample:fictional-curator-signatureBenrè

inc:sony-20141Sony Pictures Entertainment destructive intrusionSPE hackGuardians of Peace"‡From late November 2014 a group calling itself 'Guardians of Peace' ran destructive malware across Sony Pictures' network, disabling thousands of machines, and published unreleased films, staff personal data and executives' email. Threats against cinemas that planned to show 'The Interview' followed, and Sony dropped the film's Christmas Day release.*destruction*data-exfiltration*unauthorized-release*major0J

ÄÍ…£"

ÄÍ…£R0
Sony Pictures Entertainmententertainment"USr
Destoverwiper äX
GPersonal (employees)Internal (emails)Secrets (unreleased films)
DestructionöT
RCorporate network shut down; reported costs in the tens of millions of US dollars.∫ç
'Digital Journal (text of FBI statement).FBI: North Korea behind Sony hack (2014-12-19)2http://www.digitaljournal.com/print/article/421456∫™
Nextgov=U.S. officially blames North Korea for Sony hack (2014-12-19)`https://www.nextgov.com/cybersecurity/2014/12/us-officially-blames-north-korea-sony-hack/101700/∫∑
CBC NewsaNorth Korean charged in Sony hack, WannaCry attack and digital Bangladesh bank heist (2018-09-06)Hhttp://amp.cbc.ca/news/world/north-korea-hacking-sony-wannacry-1.4813031