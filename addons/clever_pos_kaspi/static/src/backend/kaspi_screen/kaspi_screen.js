import { Component, onWillStart, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const STORAGE_KEY = "clever_pos_kaspi.store_id";

/**
 * The Kaspi screen: a store picker on top ("+" adds a store), the store's sync and trash buttons,
 * then what the manager needs to see at a glance: published, not ready (per reason) and trashed
 * offers, and each city's feed with its address, last generation, last download and error.
 */
export class KaspiScreen extends Component {
    static template = "clever_pos_kaspi.KaspiScreen";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.state = useState({ data: { stores: [], store: false }, busy: false });
        onWillStart(() => this.load(Number(browser.localStorage.getItem(STORAGE_KEY)) || false));
    }

    formatDate(value) {
        return value ? formatDateTime(deserializeDateTime(value)) : "";
    }

    get store() {
        return this.state.data.store || {};
    }

    async load(storeId) {
        this.state.data = await this.orm.call("clever.kaspi.store", "get_kaspi_screen_data", [], {
            store_id: storeId || false,
        });
        if (this.state.data.store) {
            browser.localStorage.setItem(STORAGE_KEY, String(this.state.data.store.id));
        }
    }

    async onStoreChange(ev) {
        await this.load(Number(ev.target.value));
    }

    async onAddStore() {
        const before = new Set(this.state.data.stores.map((s) => s.id));
        await this.action.doAction(
            {
                type: "ir.actions.act_window",
                name: _t("New Kaspi store"),
                res_model: "clever.kaspi.store",
                views: [[false, "form"]],
                target: "new",
            },
            {
                onClose: async () => {
                    await this.load(this.store.id);
                    const added = this.state.data.stores.filter((s) => !before.has(s.id));
                    if (added.length) {
                        await this.load(added[added.length - 1].id);
                    }
                },
            }
        );
    }

    async onSync() {
        this.state.busy = true;
        try {
            const result = await this.orm.call("clever.kaspi.store", "action_sync", [[this.store.id]]);
            if (result && result.params) {
                this.notification.add(result.params.message, {
                    title: result.params.title,
                    type: "success",
                });
            }
        } finally {
            this.state.busy = false;
        }
        await this.load(this.store.id);
    }

    async openStoreAction(method, extraContext = {}) {
        const action = await this.orm.call("clever.kaspi.store", method, [[this.store.id]]);
        action.context = { ...(action.context || {}), ...extraContext };
        await this.action.doAction(action);
    }

    onOpenOffers() {
        return this.openStoreAction("action_open_offers");
    }

    onOpenNotReady() {
        return this.openStoreAction("action_open_offers", { search_default_filter_not_ready: 1 });
    }

    onOpenTrash() {
        return this.openStoreAction("action_open_trash");
    }

    async onOpenStore() {
        await this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "clever.kaspi.store",
            res_id: this.store.id,
            views: [[false, "form"]],
        });
    }

    async onOpenFeed(feedId) {
        await this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "clever.kaspi.feed",
            res_id: feedId,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("clever_pos_kaspi.kaspi_screen", KaspiScreen);
