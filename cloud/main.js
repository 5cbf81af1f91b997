// Parse Cloud Code (README.md, "Script endpoints: Parse Cloud Code"): every function defined
// here is served at POST /parse/functions/<name>, answering {"result": ...}.
//
//   curl -s -X POST http://127.0.0.1:8080/parse/functions/hello \
//     -H 'X-Parse-Application-Id: elemental' -H 'Content-Type: application/json' -d '{"name":"Ada"}'
//   # {"result":"Hello, Ada!"}
Parse.Cloud.define('hello', (request) => {
  const name = request.params.name || 'world';
  return `Hello, ${name}!`;
});
