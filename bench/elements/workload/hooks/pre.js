// Sign the vendor call: HMAC-SHA256 (base64) of METHOD\nPATH\nTIMESTAMP keyed by api.secret.
// The timestamp comes from the caller's X-Request-Time when given (the benchmark sends a fixed
// one, so every contender's answer can be compared), else from the clock.
const headers = Object.assign({}, request_vendor_headers);
const params = Object.assign({}, request_vendor_parameters);
const timestamp = request_headers['x-request-time'] || String(Date.now());
const signature = CE.hmacSha256Base64(configuration['api.secret'],
  request_vendor_method + '\n' + request_vendor_path + '\n' + timestamp);
headers['Authorization'] = 'HMAC-SHA256 ' + configuration['api.key'] + ':' + signature;
headers['X-Api-Timestamp'] = timestamp;
params.pageSize = configuration['page.size'];
params.debug = null; // parameters are merged: null removes the caller's debug
done({ request_vendor_headers: headers, request_vendor_parameters: params, continue: true });
