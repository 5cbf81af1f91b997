// Every member of the seed's "Request and Response Details", reported back.
export const config = { timeoutMs: 5000 };

export async function authenticate({request, access, params}) {
    return access.authorized({role: 'tester', via: request.header('x-via')});
}

const report = ({params, request, authContext}) => {
    const seen = [];
    request.headers.forEach((value, name) => seen.push(name));
    let json;
    try { json = request.json(); } catch (e) { json = {threw: e.name}; }
    return {
        method: request.method,
        href: request.url.href,
        isHeaders: request.headers instanceof Headers,
        headerGet: request.headers.get('X-TEST'),
        headerHas: request.headers.has('x-test'),
        headerNames: seen.includes('x-test'),
        entries: [...request.headers.entries()].some(([k, v]) => k === 'x-test' && v === 'one'),
        hostname: request.hostname,
        subdomain: request.subdomain,
        searchParams: request.searchParams instanceof URLSearchParams ? request.searchParams.get('q') : 'not URLSearchParams',
        path: request.path,
        json,
        text: request.text(),
        header: request.header('x-test'),
        params,
        authContext,
    };
};

export function get(input) {
    return report(input);
}

export async function post(input) {
    return report(input);
}

export async function put({params, response}) {
    // No return value: the body given to response.body() is the answer.
    response.status(201).contentType('text/html').body(`<p>${params.name}</p>`);
}

export async function patch({params, response}) {
    if (params.as === 'text') response.contentType('text/plain');
    if (params.as === 'binary') response.contentType('application/octet-stream');
    if (params.as === 'object') response.body({kept: true});
    if (params.as === 'bad-status') response.status(42);
    return params.as === 'object' ? undefined : 'just a string';
}

export async function delete_() {}
export { delete_ as delete };
