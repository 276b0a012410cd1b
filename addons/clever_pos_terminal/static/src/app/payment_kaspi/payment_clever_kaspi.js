import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
import { PaymentInterface } from "@point_of_sale/app/utils/payment/payment_interface";
import { register_payment_method } from "@point_of_sale/app/services/pos_store";
import { deduceUrl } from "@point_of_sale/utils";
import { cleverProxyMessage } from "@clever_pos_terminal/app/device/clever_proxy_codes";

const WAITING = ["waiting", "waitingCard", "waitingCancel", "timeout"];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Kaspi POS terminal through the Clever device proxy (proxy/README.md, /clever/terminal/*).
 *
 * The payment line's uuid is the operation's key on the proxy: the proxy runs one operation per
 * uuid, so a second click, a reload or a retry after a lost answer returns the same operation and
 * never charges twice. The line is saved (IndexedDB) in the waiting state before the amount is
 * sent; after a reload the payment screen resumes by asking the status of that uuid. The line is
 * marked paid only on the terminal's success; an unknown outcome is followed, never paid again.
 */
export class PaymentCleverKaspi extends PaymentInterface {
    setup() {
        super.setup(...arguments);
        this.inflight = new Map();
        this.firstAnswers = new Map();
        this.cancelled = new Set();
    }

    get proxyUrl() {
        return this.pos.config.proxy_ip ? deduceUrl(this.pos.config.proxy_ip) : "";
    }

    async call(route, params) {
        if (!this.proxyUrl || !this.pos.config.clever_proxy_key) {
            throw Object.assign(new Error("proxy"), { cleverCode: "key_invalid" });
        }
        try {
            return await rpc(`${this.proxyUrl}${route}`, params, {
                silent: true,
                headers: { "X-Clever-Proxy-Key": this.pos.config.clever_proxy_key },
            });
        } catch (error) {
            throw Object.assign(new Error("proxy"), {
                cleverCode: error?.data?.code || "proxy_unreachable",
            });
        }
    }

    findLine(uuid) {
        return this.pos.models["pos.payment"].find((line) => line.uuid === uuid);
    }

    sendPaymentRequest(uuid) {
        super.sendPaymentRequest(uuid);
        return this.follow(uuid, { send: true });
    }

    /** Resume a line left waiting (reload, proxy restart): ask the proxy, never send again. */
    resume(uuid) {
        return this.follow(uuid, { send: false });
    }

    follow(uuid, options) {
        if (!this.inflight.has(uuid)) {
            this.cancelled.delete(uuid);
            const promise = this.run(uuid, options).finally(() => this.inflight.delete(uuid));
            this.inflight.set(uuid, promise);
        }
        return this.inflight.get(uuid);
    }

    setState(line, code, text = "", status = "") {
        if (!line.uiState) {
            line.uiState = {};
        }
        line.uiState.cleverKaspiStatus = status;
        line.uiState.cleverKaspiCode = code;
        line.uiState.cleverKaspiText = text || cleverProxyMessage(code);
    }

    params(line, retry) {
        const params = {
            payment_uuid: line.uuid,
            amount: Math.abs(line.amount),
            order_uuid: line.pos_order_id?.uuid,
            retry,
        };
        if (line.amount < 0) {
            const original = this.originalPayment(line);
            if (original) {
                params.original_payment_uuid = original.uuid;
                params.transaction_id = original.transaction_id;
                params.method = original.payment_method_payment_mode || undefined;
            }
        }
        return params;
    }

    /** The Kaspi terminal payment of the sale a refund line gives money back for. */
    originalPayment(line) {
        const order = line.pos_order_id;
        const sale = order?.lines.find((l) => l.refunded_orderline_id)?.refunded_orderline_id?.order_id;
        return (sale?.payment_ids || []).find(
            (p) => p.payment_method_id?.use_payment_terminal === "clever_kaspi" && p.transaction_id && p.amount > 0
        );
    }

    /**
     * Money leaves the shop on the terminal before the order is validated: the manager approves
     * the return first (the same approval the validation then finds and uses).
     */
    async approveRefund(line) {
        const order = line.pos_order_id;
        const refundLines = order.lines.filter((l) => l.refunded_orderline_id && l.qty < 0);
        if (!this.pos.cleverTill || !refundLines.length) {
            return true;
        }
        const amount = -refundLines.reduce((sum, l) => sum + l.priceIncl, 0);
        return await this.pos.cleverAskApproval("refund", {
            amount: this.pos.currency.round(amount),
            recordId: refundLines[0].refunded_orderline_id.order_id.id,
            reason: order.clever_return_reason_id?.name || "",
        });
    }

    async send(line, retry) {
        const route = line.amount < 0 ? "/clever/terminal/refund" : "/clever/terminal/pay";
        return await this.call(route, this.params(line, retry));
    }

    async run(uuid, { send }) {
        const line = this.findLine(uuid);
        if (!line) {
            return false;
        }
        const amount = Math.abs(line.amount);
        if (send && (!amount || Math.round(amount) !== amount)) {
            this.notify("amount_invalid");
            return false;
        }
        if (send && line.amount < 0 && !(await this.approveRefund(line))) {
            return false;
        }
        // Saved before the amount leaves the till: a reload finds the line waiting, with its uuid.
        line.setPaymentStatus("waitingCard");
        this.setState(line, "waiting");
        await this.pos.data.synchronizeLocalDataInIndexedDB?.();
        let op;
        if (send) {
            const firstAnswer = this.send(line, true);
            this.firstAnswers.set(uuid, firstAnswer);
            try {
                op = await firstAnswer;
            } catch (error) {
                // The proxy may or may not have it: ask by uuid (the proxy never starts it twice).
                op = { status: "lost", code: error.cleverCode };
            } finally {
                this.firstAnswers.delete(uuid);
            }
        } else {
            op = { status: "lost", code: "waiting" };
        }
        let failures = 0;
        while (true) {
            if (op.status === "success") {
                line.transaction_id = op.transaction_id || "";
                line.payment_method_payment_mode = op.method || "";
                line.card_type = op.method || "";
                line.payment_ref_no = op.transaction_id || "";
                this.setState(line, op.code || "paid");
                return true;
            }
            if (op.status === "fail" || op.status === "rejected") {
                this.setState(line, op.code);
                this.notify(op.code);
                return false;
            }
            if (op.status === "not_found") {
                if (this.cancelled.has(uuid) || !send) {
                    this.setState(line, "operation_not_found");
                    return false;
                }
                // The proxy never received it: send it now (same uuid, so still only once).
                try {
                    op = await this.send(line, false);
                    continue;
                } catch (error) {
                    op = { status: "lost", code: error.cleverCode };
                }
            }
            if (op.status === "lost") {
                if (op.code !== "waiting") {
                    this.setState(line, op.code);
                }
            } else {
                this.setState(line, op.code || "waiting", "", op.status);
            }
            if (!this.findLine(uuid) || this.cancelled.has(uuid)) {
                return false;
            }
            await sleep(Math.max(op.poll_after_ms || 0, failures ? 2000 : 700));
            try {
                op = await this.call("/clever/terminal/status", { payment_uuid: uuid });
                failures = 0;
            } catch (error) {
                failures++;
                op = { status: "lost", code: error.cleverCode };
            }
        }
    }

    async sendPaymentCancel(order, uuid) {
        super.sendPaymentCancel(...arguments);
        // A cancel must not overtake the amount on its way to the terminal.
        await this.firstAnswers.get(uuid)?.catch(() => {});
        let op;
        try {
            op = await this.call("/clever/terminal/cancel", { payment_uuid: uuid });
        } catch (error) {
            this.notify(error.cleverCode);
            return false;
        }
        if (op.cancelled) {
            this.cancelled.add(uuid);
            return true;
        }
        this.notify(op.cancel_code || op.code, "warning");
        return false;
    }

    /**
     * The proxy could not learn the outcome (answer lost, terminal forgot the operation): a person
     * looks at the terminal's screen and says whether the customer paid. The proxy asks the
     * terminal once more first; its answer wins over the person's.
     */
    async resolve(uuid, outcome) {
        try {
            const op = await this.call("/clever/terminal/resolve", {
                payment_uuid: uuid,
                outcome,
                note: `${this.pos.user?.name || ""}: ${outcome}`,
            });
            if (op.status === "rejected") {
                this.notify(op.code, "warning");
            }
        } catch (error) {
            this.notify(error.cleverCode);
        }
    }

    notify(code, type = "danger") {
        this.pos.notification.add(cleverProxyMessage(code), {
            title: _t("Kaspi terminal"),
            type,
            className: `o_clever_kaspi_notice o_clever_kaspi_${code}`,
        });
    }
}

register_payment_method("clever_kaspi", PaymentCleverKaspi);

export { WAITING as CLEVER_KASPI_WAITING };
