// Noisy tenant A: the hook waits on a slow outbound call before letting the request go on.
fetch(configuration['slow.url'])
  .then(r => r.text())
  .then(() => done({ continue: true }), e => done({ continue: false, response_status_code: 502,
                                                    response_body: { message: String(e) } }));
