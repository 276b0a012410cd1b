import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

/**
 * Client action: post each price tag image to the register's device proxy, the route the POS
 * uses for receipts ({"action": "print_receipt", "receipt": <base64 JPEG>}).
 */
async function printPriceTagsProxy(env, action) {
    const { proxy_url, proxy_key, images } = action.params;
    const headers = { "Content-Type": "application/json" };
    if (proxy_key) {
        headers["X-Clever-Proxy-Key"] = proxy_key;
    }
    let printed = 0;
    for (const receipt of images) {
        let answer;
        try {
            const response = await fetch(`${proxy_url}/hw_proxy/default_printer_action`, {
                method: "POST",
                headers,
                body: JSON.stringify({
                    jsonrpc: "2.0",
                    method: "call",
                    params: { data: { action: "print_receipt", receipt } },
                    id: printed + 1,
                }),
            });
            answer = await response.json();
        } catch {
            answer = { error: { data: { code: "printer_offline" } } };
        }
        const result = answer.result || {};
        if (!result.result) {
            const code = result.code || answer.error?.data?.code || "printer_error";
            env.services.notification.add(
                _t("The receipt printer did not print the price tags (%(code)s).", { code }),
                { type: "danger" }
            );
            return;
        }
        printed++;
    }
    env.services.notification.add(_t("%(count)s price tags printed.", { count: printed }), {
        type: "success",
    });
}

registry.category("actions").add("clever_pos_stock.print_price_tags_proxy", printPriceTagsProxy);
