import { useExternalListener } from "@odoo/owl";
import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import { ProductScreen } from "@point_of_sale/app/screens/product_screen/product_screen";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { NumberPopup } from "@point_of_sale/app/components/popups/number_popup/number_popup";
import { CleverFreeLinePopup } from "@clever_pos_terminal/app/components/popups/clever_free_line_popup/clever_free_line_popup";


patch(ProductScreen.prototype, {
    setup() {
        super.setup(...arguments);
        useExternalListener(window, "keydown", (ev) => this.cleverOnKeydown(ev));
    },

    get cleverFavorites() {
        return this.pos.config.clever_favorite_product_ids || [];
    },

    get cleverCanAddFreeLine() {
        return Boolean(this.pos.config.clever_free_line && this.pos.config.clever_free_product_ids?.length);
    },

    async cleverAddFavorite(product) {
        await this.addProductToOrder(product.product_tmpl_id);
    },

    async cleverAddFreeLine() {
        if (!this.cleverCanAddFreeLine) {
            return;
        }
        const result = await makeAwaitable(this.dialog, CleverFreeLinePopup, {
            products: this.pos.config.clever_free_product_ids,
        });
        if (!result) {
            return;
        }
        const line = await this.pos.addLineToCurrentOrder(
            { product_tmpl_id: result.product.product_tmpl_id, product_id: result.product, price_unit: result.price },
            {},
            false
        );
        if (line) {
            line.full_product_name = result.name;
        }
    },

    async cleverGlobalDiscount() {
        if (!(this.pos.config.module_pos_discount && this.pos.config.discount_product_id)) {
            return;
        }
        const value = await makeAwaitable(this.dialog, NumberPopup, {
            title: _t("Discount Percentage"),
            startingValue: this.pos.config.discount_pc,
        });
        if (value !== undefined && value !== null && value !== "") {
            const percent = Math.max(0, Math.min(100, this.env.utils.parseValidFloat(value.toString())));
            await this.pos.applyDiscount(percent);
        }
    },

    cleverChangeQuantity(delta) {
        const line = this.currentOrder?.getSelectedOrderline();
        if (!line || this.currentOrder.isRefund) {
            return;
        }
        const qty = line.getQuantity() + delta;
        if (qty <= 0) {
            this.currentOrder.removeOrderline(line);
        } else {
            line.setQuantity(qty);
        }
    },

    cleverOnKeydown(ev) {
        if (!this.pos.cleverTill || this.pos.router.state.current !== "ProductScreen") {
            return;
        }
        if (document.querySelector(".modal")) {
            return;
        }
        const target = ev.target;
        const typing = target && ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
        const actions = {
            F1: () => this.pos.cleverShowShortcuts(),
            F2: () => document.querySelector(".pos-rightheader input")?.focus(),
            F3: () => this.pos.selectPartner(),
            F4: () => this.pos.addNewOrder(),
            F6: () => this.cleverGlobalDiscount(),
            F7: () => this.cleverAddFreeLine(),
            F8: () => this.pos.cleverOpenDebtRepayment(),
            F9: () => this.pos.pay(),
        };
        if (!typing) {
            Object.assign(actions, {
                "+": () => this.cleverChangeQuantity(1),
                "-": () => this.cleverChangeQuantity(-1),
                Delete: () => {
                    const line = this.currentOrder?.getSelectedOrderline();
                    if (line) {
                        this.currentOrder.removeOrderline(line);
                    }
                },
                "?": () => this.pos.cleverShowShortcuts(),
            });
        }
        const action = actions[ev.key];
        if (action) {
            ev.preventDefault();
            ev.stopPropagation();
            action();
        }
    },
});
