// Noisy tenant A: a busy loop of a minute (the engine's budget should stop it first).
const t = Date.now();
while (Date.now() - t < 60000) {}
done({ continue: true });
