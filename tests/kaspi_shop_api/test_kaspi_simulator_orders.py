"""The simulator's hooks the Odoo tests and benches use: orders with chosen lines and delivery,
extra products, and buyers with real Kazakh mobile numbers."""

from shop_api.simulator import MOBILE_CODES


def test_order_with_chosen_lines_and_delivery(make_sim, make_client):
    sim = make_sim(orders=0, products=2)
    sim.add_product("ZZ-NEW-1", "Новый товар", price=777)
    order_id = sim.add_order(lines=[("SKU-00001", 2), ("ZZ-NEW-1", 1)], kind="local")
    client = make_client(sim)
    order = client.get_order(order_id)
    assert order.delivery_mode == "DELIVERY_LOCAL"
    assert order.delivery_address is not None
    assert [(e.offer_code, e.quantity) for e in order.entries] == [("SKU-00001", 2), ("ZZ-NEW-1", 1)]
    assert order.entries[1].base_price == 777
    assert order.total_price == sum(e.total_price for e in order.entries)


def test_buyers_have_kazakh_mobile_numbers(make_sim, make_client):
    sim = make_sim(orders=30)
    for order_id in sim.order_ids():
        phone = sim.order(order_id)["customer"]["cellPhone"]
        assert phone[-10:-7] in MOBILE_CODES
    client = make_client(sim)
    order = client.get_order(next(iter(sim.order_ids())))
    assert order.customer.phone.startswith("+77")
