import Mustache

/// The dashboard's pages: server-rendered HTML, no script, no asset from the network. `{{ }}` escapes
/// everything a tenant file, an IdP or the log put in.
enum DashboardTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [
            ("layout-top", layoutTop), ("layout-bottom", layoutBottom), ("login", login),
            ("index", index), ("tenant", tenant), ("secret", secret),
        ] {
            // The templates are constants of this file: one that does not parse is a programming error
            // the dashboard tests catch, and the page then renders empty rather than stopping the process.
            try? library.register(text, named: name)
        }
        return library
    }()

    static let layoutTop = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{title}} · scim-gateway</title>
        <style>
        body{font:14px system-ui,sans-serif;margin:0;color:#1b1b1b}header{background:#1f3a5f;color:#fff;padding:10px 20px}
        header a{color:#fff;margin-right:16px}main{padding:16px 20px}table{border-collapse:collapse;width:100%}
        th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left}th a{color:inherit}
        tr.flagged{background:#fde8e8}.flag{color:#b00020;font-weight:600}.ok{color:#1b7a1b}
        .notice{background:#fff6d5;border:1px solid #e0c95a;padding:10px;margin:10px 0}
        form.inline{display:inline}input,button{font:inherit}code{background:#f3f3f3;padding:2px 4px}
        </style></head><body>
        {{#signedIn}}<header><a href="/admin/ui">Tenants</a>
        <form class="inline" method="post" action="/admin/ui/reload"><input type="hidden" name="csrf" value="{{csrf}}">
        <button id="reload">Reload tenants.d</button></form>
        <form class="inline" method="post" action="/admin/ui/logout"><input type="hidden" name="csrf" value="{{csrf}}">
        <button>Sign out</button></form></header>{{/signedIn}}
        <main>{{#notice}}<p class="notice" id="notice">{{notice}}</p>{{/notice}}
        """

    static let layoutBottom = "</main></body></html>"

    static let login = """
        {{> layout-top}}<h1>scim-gateway operator sign-in</h1>
        {{#error}}<p class="flag" id="error">{{error}}</p>{{/error}}
        <form method="post" action="/admin/ui/login"><label>Operator token
        <input type="password" name="token" id="token" autocomplete="off" size="60"></label>
        <button id="signin">Sign in</button></form>{{> layout-bottom}}
        """

    static let index = """
        {{> layout-top}}<h1>Tenants ({{total}})</h1>
        <p>Failure ratios count answers of 400 or above on this node; a tenant is flagged above 20 % over one hour
        or 30 % over a day, well before Microsoft Entra ID would quarantine its provisioning job.</p>
        <table id="tenants"><thead><tr><th><a href="?sort=id">Tenant</a></th><th>Name</th><th>Backend</th><th>Health</th>
        <th>Requests 1 h</th><th>Failures 1 h</th><th><a href="?sort=failures">Failure ratio 1 h</a></th>
        <th>Failure ratio 24 h</th><th><a href="?sort=activity">Last activity</a></th><th>First credential to expire</th></tr></thead>
        <tbody>{{#tenants}}<tr class="{{#flagged}}flagged{{/flagged}}" data-tenant="{{id}}">
        <td><a href="/admin/ui/tenants/{{id}}">{{id}}</a> {{#flagged}}<span class="flag">flagged</span>{{/flagged}}</td>
        <td>{{name}}</td><td>{{backend}}</td>
        <td class="{{#unhealthy}}flag{{/unhealthy}}{{^unhealthy}}ok{{/unhealthy}}">{{health}}</td><td>{{requests}}</td><td>{{failures}}</td><td>{{ratio1h}}</td><td>{{ratio24h}}</td>
        <td>{{lastActivity}}</td><td>{{expiry}}</td></tr>{{/tenants}}</tbody></table>
        <p>Page {{page}} of {{pages}}
        {{#previous}}<a href="?sort={{sort}}&amp;page={{previous}}">previous</a>{{/previous}}
        {{#next}}<a href="?sort={{sort}}&amp;page={{next}}" id="next">next</a>{{/next}}</p>{{> layout-bottom}}
        """

    static let tenant = """
        {{> layout-top}}<h1>Tenant {{id}}</h1><p>{{name}} · backend {{backend}} ({{health}}) · {{requests}} requests and
        {{failures}} failures in the last hour ({{ratio1h}}), {{ratio24h}} over 24 h{{#flagged}}
        · <span class="flag">flagged</span>{{/flagged}}</p>
        <h2>Provisioning log</h2><form method="get" action="/admin/ui/tenants/{{id}}">
        <label>User (userName or externalId) <input name="user" id="user" value="{{user}}"></label>
        <button id="search">Search</button></form>
        <table id="log"><thead><tr><th>Time</th><th>Operation</th><th>User</th><th>Status</th><th>scimType</th>
        <th>Detail</th></tr></thead><tbody>{{#entries}}<tr><td>{{time}}</td><td>{{operation}}</td><td>{{user}}</td>
        <td>{{status}}</td><td>{{scimType}}</td><td>{{detail}}</td></tr>{{/entries}}</tbody></table>
        {{^entries}}<p id="no-entries">No entries{{#user}} for {{user}}{{/user}}.</p>{{/entries}}
        <h2>Bearer tokens</h2><table id="tokens"><thead><tr><th>Name</th><th>Status</th><th>Created</th><th>Expires</th>
        <th>Last used</th><th></th></tr></thead><tbody>{{#tokens}}<tr data-token="{{name}}"><td>{{name}}</td><td>{{status}}</td>
        <td>{{created}}</td><td>{{expires}}</td><td>{{lastUsed}}</td><td>{{#active}}<form class="inline" method="post"
        action="/admin/ui/tenants/{{tenant}}/tokens/{{name}}/revoke"><input type="hidden" name="csrf" value="{{csrf}}">
        <button class="revoke">Revoke</button></form>{{/active}}</td></tr>{{/tokens}}</tbody></table>
        <form method="post" action="/admin/ui/tenants/{{id}}/tokens"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>New token named <input name="name" id="token-name"></label> <button id="create-token">Create token</button></form>
        <h2>OAuth clients</h2><table id="clients"><thead><tr><th>Name</th><th>Client id</th><th>Status</th><th>Expires</th>
        <th>Last used</th><th></th></tr></thead><tbody>{{#clients}}<tr><td>{{name}}</td><td><code>{{id}}</code></td>
        <td>{{status}}</td><td>{{expires}}</td><td>{{lastUsed}}</td><td>{{#active}}<form class="inline" method="post"
        action="/admin/ui/tenants/{{tenant}}/clients/{{name}}/revoke"><input type="hidden" name="csrf" value="{{csrf}}">
        <button class="revoke">Revoke</button></form>{{/active}}</td></tr>{{/clients}}</tbody></table>
        <form method="post" action="/admin/ui/tenants/{{id}}/clients"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>New OAuth client named <input name="name" id="client-name"></label> <button id="create-client">Create client</button></form>
        {{> layout-bottom}}
        """

    static let secret = """
        {{> layout-top}}<h1>{{what}} for tenant {{tenant}}</h1>
        <p>Shown once: copy it into the identity provider now. Only its hash is kept.</p>
        {{#clientId}}<p>client_id <code id="client-id">{{clientId}}</code></p>{{/clientId}}
        <p>{{label}} <code id="secret">{{secret}}</code></p><p><a href="/admin/ui/tenants/{{tenant}}">Back to {{tenant}}</a></p>
        {{> layout-bottom}}
        """
}
