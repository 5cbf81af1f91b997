// Global pre-request hook: sign every vendor call with an HMAC of its path, keyed by the
// instance's API key, as many vendors require.
const signature = CE.hmacSha256Hex(configuration['api.key'], request_vendor_path);
request_vendor_headers['X-Signature'] = signature;
done({ request_vendor_headers: request_vendor_headers });
