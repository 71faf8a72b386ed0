// The console's bundle in the gateway's tests: a stand-in for what Vite builds.
const app = document.getElementById("app");
app.textContent = "berth console fixture: " + new Date().toISOString();
