// The page's entry: the token from the URL fragment, then the app.

import { render } from "preact";

import { App } from "./app.js";
import { Client, tokenFromLocation } from "./client.js";
import "./style.css";

render(<App client={new Client(tokenFromLocation(location.hash))} />, document.getElementById("app")!);
