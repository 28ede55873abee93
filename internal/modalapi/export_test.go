package modalapi

// CheckTLS is Check trusting the roots of tc, for a test server's certificate.
var CheckTLS = check
