import { patch } from "@web/core/utils/patch";
import { browser } from "@web/core/browser/browser";
import { rpc } from "@web/core/network/rpc";
import { HardwareProxy } from "@point_of_sale/app/services/hardware_proxy_service";
import { CleverProxyPrinter } from "@clever_pos_terminal/app/device/clever_proxy_printer";

/** A register paired with the Clever device proxy sends its key with every /hw_proxy call. */
patch(HardwareProxy.prototype, {
    get cleverProxyKey() {
        return this.pos?.config?.clever_proxy_key || "";
    },

    cleverHeaders() {
        return this.cleverProxyKey ? { "X-Clever-Proxy-Key": this.cleverProxyKey } : {};
    },

    connectToPrinter() {
        if (!this.cleverProxyKey) {
            return super.connectToPrinter(...arguments);
        }
        this.printer = new CleverProxyPrinter({ url: this.host, headers: this.cleverHeaders() });
    },

    message(name, params) {
        if (!this.cleverProxyKey) {
            return super.message(...arguments);
        }
        this.dispatchEvent(new CustomEvent(`send_message:${name}`));
        if (this.connectionInfo.status === "disconnected") {
            return Promise.reject();
        }
        return rpc(`${this.host}/hw_proxy/${name}`, params, { silent: true, headers: this.cleverHeaders() });
    },

    keepAlive() {
        if (!this.cleverProxyKey) {
            return super.keepAlive(...arguments);
        }
        const status = () => {
            const always = () => setTimeout(status, 5000);
            const xhr = new browser.XMLHttpRequest();
            xhr.timeout = 2500;
            rpc(`${this.host}/hw_proxy/status_json`, {}, { silent: true, xhr, headers: this.cleverHeaders() })
                .then(
                    (drivers) => this.setConnectionInfo({ status: "connected", drivers }),
                    () => {
                        if (this.connectionInfo.status !== "connecting") {
                            this.setConnectionInfo({ status: "disconnected" });
                        }
                    }
                )
                .then(always, always);
        };
        if (!this.keptalive) {
            this.keptalive = true;
            status();
        }
    },
});
