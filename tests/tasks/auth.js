// The seed's authentication example (Journey's "Trigger CC via HTTP", seeds 002/003), verbatim
// but for one line: `DB.api_client.first('token = ?', token)` is a `kv` lookup here
// (elemental's key-value store; the test stores the client under `api_client:<token>`).

// This MUST either return access.unauthorized() or access.authorized().
// Any object passed into access.authorized() will be available as authContext in the task.
// The access.unauthorized({status: 403, body: "Message"}) call allows for custom error responses.
// If this function is not defined, an error is thrown, or
// a different value is returned, the request fails with 500.
export async function authenticate({request, access, params}) {
    // Authentication is up to the developer. In this example,
    // We check for a token in the Authorization header, and
    // do a database lookup based on this.
    const auth = request.header('Authorization');
    const match = /^Bearer (\w+)$/.exec(auth);
    if(match == null) {
       return access.unauthorized();
    }
    const token = match[1];
    const client = await kv.get('api_client:' + token);
    if(client == null) {
        return access.unauthorized();
        // The response can also be customized:
        //   return access.unauthorized({body: 'Forbidden', status: 403});
        // or JSON:
        //   return access.unauthorized({body: {message: 'Forbidden'}, status: 403});
    } else {
        // The parameter here (client) will be available as `authContext` in
        // in handler.
        return access.authorized(client);
    }
}

export async function post({params, request, response, authContext}) {
    const client = authContext;
    return {user: client.name};
}
