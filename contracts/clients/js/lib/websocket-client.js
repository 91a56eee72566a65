'use strict';
// Mattermost's official WebSocketClient under Node. It builds a CloseEvent
// when it drops a socket itself (ping timeout, seq mismatch): browsers have
// that global, Node 20 does not, so requiring this module defines it once.

if (typeof globalThis.CloseEvent === 'undefined') {
    globalThis.CloseEvent = class CloseEvent extends Event {
        constructor(type, init = {}) {
            super(type);
            this.code = init.code ?? 0;
            this.reason = init.reason ?? '';
            this.wasClean = Boolean(init.wasClean);
        }
    };
}

/**
 * Stops an official WebSocketClient for good: no reconnect, no ping, and its
 * socket (or `socket`, when the client has already let go of it) closed
 * without calling back into the client.
 */
function stopWebSocketClient(wsc, socket) {
    wsc.close();
    wsc.clearReconnectTimeout();
    wsc.stopPingInterval();
    const ws = wsc.conn || socket;
    if (ws) {
        ws.onclose = () => {};
        ws.onerror = () => {};
        ws.onopen = () => {};
        ws.onmessage = () => {};
        ws.terminate();
    }
    wsc.conn = null;
}

module.exports = {stopWebSocketClient};
