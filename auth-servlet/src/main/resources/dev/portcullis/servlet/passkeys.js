// Portcullis passkeys: the browser's side of the WebAuthn ceremonies. Served by
// PasskeyEndpointsServlet as /passkeys.js below its mount path; no inline script is needed, so a
// Content-Security-Policy of script-src 'self' holds. Load it with
//   <script src="/auth/passkeys/passkeys.js" data-csrf-url="/auth/csrf" defer></script>
// Elements with data-passkey-action="register" | "sign-in" | "second-factor" (with data-handle, or
// without it for the pending sign-in AuthEndpointsServlet keeps in its HttpOnly cookie)
// run a ceremony on click; the outcome code goes into the element marked data-passkey-status (its
// data-code attribute; also its text, or the answer's sentence when the element says
// data-passkey-status="message"), and a sign-in or an added passkey follows data-passkey-redirect
// when given. An <input autocomplete="username webauthn"> gets the browser's passkey autofill
// (conditional mediation); a sign-in from it follows the input's data-passkey-redirect. A page that
// renders the CSRF token can give it as data-csrf-token on the script element, which saves the
// fetch of data-csrf-url. Everything is also on window.PortcullisPasskeys.
(function () {
  'use strict';
  var script = document.currentScript;
  var base = (script && script.getAttribute('data-base')) ||
      (script ? script.src.replace(/\/passkeys\.js(\?.*)?$/, '') : '');
  var csrfUrl = (script && script.getAttribute('data-csrf-url')) || base.replace(/\/[^/]*$/, '') + '/csrf';
  var initialToken = script && script.getAttribute('data-csrf-token');
  var csrf = initialToken ? {token: initialToken, header: 'X-CSRF-Token'} : null;

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var text = '';
    for (var i = 0; i < bytes.length; i++) {
      text += String.fromCharCode(bytes[i]);
    }
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function fromBase64url(value) {
    var b64 = value.replace(/-/g, '+').replace(/_/g, '/');
    while (b64.length % 4) {
      b64 += '=';
    }
    var text = atob(b64);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) {
      bytes[i] = text.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function csrfToken() {
    if (csrf) {
      return Promise.resolve(csrf);
    }
    return fetch(csrfUrl, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
        .then(function (r) { return r.json(); })
        .then(function (j) { csrf = {token: j.csrfToken, header: j.headerName || 'X-CSRF-Token'}; return csrf; });
  }

  function call(method, path, body) {
    return csrfToken().then(function (c) {
      var headers = {'Accept': 'application/json'};
      if (method === 'POST') {
        headers['Content-Type'] = 'application/json';
        headers[c.header] = c.token;
      }
      return fetch(base + path, {method: method, credentials: 'same-origin', headers: headers,
        body: method === 'POST' ? JSON.stringify(body || {}) : undefined});
    }).then(function (r) {
      return r.json().then(function (j) {
        if (j && j.csrfToken && csrf) {
          csrf.token = j.csrfToken; // a sign-in rotates it
        }
        return {ok: r.ok, status: r.status, body: j};
      });
    });
  }

  function failure(result) {
    var e = new Error((result.body && result.body.message) || 'Request failed');
    e.code = (result.body && result.body.error) || 'error';
    e.status = result.status;
    throw e;
  }

  function creationOptions(o) {
    o.challenge = fromBase64url(o.challenge);
    o.user.id = fromBase64url(o.user.id);
    (o.excludeCredentials || []).forEach(function (c) { c.id = fromBase64url(c.id); });
    return o;
  }

  function requestOptions(o) {
    o.challenge = fromBase64url(o.challenge);
    (o.allowCredentials || []).forEach(function (c) { c.id = fromBase64url(c.id); });
    return o;
  }

  /** Adds a passkey to the signed-in account. */
  function register(name) {
    var challenge;
    return call('POST', '/registration/options').then(function (r) {
      if (!r.ok) { failure(r); }
      challenge = r.body.publicKey.challenge;
      return navigator.credentials.create({publicKey: creationOptions(r.body.publicKey)});
    }).then(function (credential) {
      var response = credential.response;
      var transports = typeof response.getTransports === 'function' ? response.getTransports() : [];
      return call('POST', '/registration', {
        challenge: challenge, id: credential.id, name: name || '',
        clientDataJSON: toBase64url(response.clientDataJSON),
        attestationObject: toBase64url(response.attestationObject),
        transports: transports.join(' ')
      });
    }).then(function (r) {
      if (!r.ok) { failure(r); }
      return r.body;
    });
  }

  /**
   * Signs in with a passkey: usernameless without a handle, or as the second factor of the
   * pending sign-in {@code handle} ({@code true}: the one in the server's pending cookie).
   * {@code mediation} 'conditional' is the autofill.
   */
  function signIn(handle, mediation, signal) {
    var challenge;
    var pending = handle === true ? {secondFactor: 'true'} : handle ? {handle: handle} : {};
    return call('POST', '/authentication/options', pending).then(function (r) {
      if (!r.ok) { failure(r); }
      challenge = r.body.publicKey.challenge;
      var request = {publicKey: requestOptions(r.body.publicKey)};
      if (mediation) { request.mediation = mediation; }
      if (signal) { request.signal = signal; }
      return navigator.credentials.get(request);
    }).then(function (credential) {
      var response = credential.response;
      return call('POST', '/authentication', {
        challenge: challenge, id: credential.id, handle: pending.handle || '', secondFactor: pending.secondFactor || '',
        clientDataJSON: toBase64url(response.clientDataJSON),
        authenticatorData: toBase64url(response.authenticatorData),
        signature: toBase64url(response.signature),
        userHandle: response.userHandle ? toBase64url(response.userHandle) : ''
      });
    }).then(function (r) {
      if (!r.ok) { failure(r); }
      return r.body;
    });
  }

  function list() {
    return call('GET', '/list').then(function (r) { if (!r.ok) { failure(r); } return r.body.passkeys; });
  }

  function rename(id, name) {
    return call('POST', '/rename', {id: id, name: name}).then(function (r) { if (!r.ok) { failure(r); } return r.body; });
  }

  function remove(id) {
    return call('POST', '/delete', {id: id}).then(function (r) { if (!r.ok) { failure(r); } return r.body; });
  }

  function show(code, message) {
    var status = document.querySelector('[data-passkey-status]');
    if (status) {
      status.setAttribute('data-code', code);
      status.textContent = status.getAttribute('data-passkey-status') === 'message' && message ? message : code;
    }
  }

  function done(element) {
    return function (body) {
      show(body.status, body.message);
      var target = element && element.getAttribute('data-passkey-redirect');
      if (target && (body.status === 'logged_in' || body.status === 'passkey_added')) {
        window.location.assign(target);
      }
    };
  }

  function failed(e) {
    // A browser-side failure (the user cancelled, no passkey for this site) has a name, no code.
    show(e.code || e.name || 'error', e.code ? e.message : 'The passkey request did not complete. Try again.');
  }

  var autofill = null;

  function bind() {
    document.querySelectorAll('[data-passkey-action]').forEach(function (element) {
      element.addEventListener('click', function (event) {
        event.preventDefault();
        if (autofill) { autofill.abort(); autofill = null; }
        var action = element.getAttribute('data-passkey-action');
        if (action === 'register') {
          var field = document.querySelector('[data-passkey-name]');
          register(field ? field.value : '').then(done(element), failed);
        } else if (action === 'sign-in') {
          signIn(null).then(done(element), failed);
        } else if (action === 'second-factor') {
          signIn(element.getAttribute('data-handle') || true).then(done(element), failed);
        }
      });
    });
    var input = document.querySelector('input[autocomplete~="webauthn"]');
    if (input && window.PublicKeyCredential && PublicKeyCredential.isConditionalMediationAvailable) {
      PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
        if (!available) { return; }
        autofill = new AbortController();
        signIn(null, 'conditional', autofill.signal).then(done(input), function (e) {
          if (e.name !== 'AbortError') { failed(e); }
        });
      });
    }
  }

  function secondFactor() {
    return signIn(true);
  }

  window.PortcullisPasskeys = {register: register, signIn: signIn, secondFactor: secondFactor, list: list,
    rename: rename, remove: remove,
    toBase64url: toBase64url, fromBase64url: fromBase64url};
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', bind);
  } else {
    bind();
  }
})();
