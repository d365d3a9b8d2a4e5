
+

inc:two@v2p:vendorА█кс"inc:two(0r
inc:two	Wiper Two0